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
