export function findElectronBinary(): { path: string } | { missing: string };
export function downloadElectronBinary(): Promise<boolean>;
