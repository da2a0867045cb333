/** Titles made from names, for pages and folders whose files give none. Kept light: compose uses it too. */

/** A file or folder name as words: "data_access" and "data-access" become "Data access". */
export function humanizeName(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}
