export function findElectronBinary(): { path: string } | { missing: string };
/** null when the binary is now present, else why the download failed. */
export function downloadElectronBinary(): Promise<string | null>;
