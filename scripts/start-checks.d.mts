/** Why Electron cannot open a window here, or null. */
export function missingDisplay(platform: NodeJS.Platform, env: Record<string, string | undefined>): string | null;
/** Whether Electron must start with --no-sandbox on this Linux machine (see start-checks.mjs). */
export function needsNoSandbox(
  platform: NodeJS.Platform,
  options: {
    uid: number | undefined;
    sandboxHelper: string;
    read?: (path: string) => string | null;
    owner?: (path: string) => { uid: number; mode: number } | null;
  },
): boolean;
/** The command that opens url in the default browser, or null where no window can open (see start-checks.mjs). */
export function browserOpener(platform: NodeJS.Platform, env: Record<string, string | undefined>, url: string): { command: string; args: string[]; verbatim?: boolean } | null;
/** The address browser mode prints when it is ready, or null. */
export function browserModeAddress(output: string): string | null;
