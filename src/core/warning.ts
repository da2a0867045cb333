/** A problem with one source file that the build reports and works around instead of failing. */
export interface Warning {
  /** "owner/name/path" of the source file. */
  file: string;
  line?: number;
  column?: number;
  message: string;
  /** Which rule found it, in kebab case ("broken-link", "unsafe-path"): --strict and readers select by it. */
  ruleId?: string;
}
