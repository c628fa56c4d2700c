/** One problem the pre-run check found in a script; positions are the script's own, 1-based. */
export interface CheckDiagnostic {
  line: number;
  column: number;
  /** The TypeScript diagnostic code (`2339` for TS2339). */
  code: number;
  message: string;
}

/** The check of one script against the API. */
export interface CheckResult {
  /** False when a problem blocks the run: it would certainly fail there. */
  ok: boolean;
  /** The problems that block the run; TypeScript's other complaints are left out (see README, "Checked before it runs"). */
  diagnostics: CheckDiagnostic[];
  /** What a model is shown when the run is blocked: the problems and the declarations of the tools involved. */
  text: string;
  durationMs: number;
}

/** A configured server left out of the API (failed, or still starting): the hub's listing failures. */
export interface Unavailable {
  server: string;
  message: string;
}
