// Vite imports this optionally and falls back when it fails; this stand-in always fails.
throw new Error('napi-windows-process-start-time is not installed (stand-in); vite falls back to PowerShell');
