/** The system parts tooling/system-packages.txt provides, by the name the tests use. */
export type SystemPart = 'chromium' | 'mesa' | 'torch' | 'fashion-mnist';

export interface SystemCheck {
  ok: boolean;
  part: SystemPart;
  /** Empty when ok; else what is missing and the apt-get command that installs it. */
  reason: string;
}

export interface SystemPackage {
  name: string;
  noRecommends: boolean;
  part: string;
}

type Env = Record<string, string | undefined>;

export declare const REPO_ROOT: string;
export declare const PACKAGES_FILE: string;
export declare const RESULTS_DIR: string;
export declare const SKIPPED_DIR: string;
export declare const SUMMARY_FILE: string;
export declare const PYTHON: string;
export declare const PARTS: SystemPart[];

export declare function requireAll(env?: Env): boolean;
export declare function systemPackages(file?: string): SystemPackage[];
export declare function installCommand(rows?: SystemPackage[]): string;
export declare function probeSystem(part: SystemPart, env?: Env): Promise<SystemCheck>;
/**
 * Checks for a system part before a suite runs: under CI=true or CONVNETS_REQUIRE_ALL=1 a
 * missing part throws (naming the package); otherwise it returns { ok: false } and records a
 * skip line for the end of `pnpm turbo test`. `suite`: the test file's import.meta.url, or words.
 */
export declare function requireSystem(part: SystemPart, suite: string, opts?: { cwd?: string; env?: Env }): Promise<SystemCheck>;
/**
 * A suite that cannot run without `part` (a system package, or anything else: Node 24 from the
 * registry): under CI=true or CONVNETS_REQUIRE_ALL=1 this throws, naming `part` and `reason` (how
 * to get it); otherwise it records a skip line for the end of `pnpm turbo test`.
 */
export declare function recordMissing(part: string, suite: string, reason: string, opts?: { cwd?: string; env?: Env }): void;

export interface CommandResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  error?: Error;
  timedOut: boolean;
}
/** Runs a command without blocking the event loop; kills it (SIGKILL) after timeoutMs (default 5 min). */
export declare function runCommand(cmd: string, args: readonly string[], opts?: { timeoutMs?: number; cwd?: string; env?: Env }): Promise<CommandResult>;
