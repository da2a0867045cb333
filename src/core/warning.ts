/** A problem with one source file that the build reports and works around instead of failing. */
export interface Warning {
  /** "owner/name/path" of the source file. */
  file: string;
  line?: number;
  message: string;
}
