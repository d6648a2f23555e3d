// Chart.js, tree-shaken: only the pieces our line charts use are registered (no Legend — ours is HTML).
import { Chart, Decimation, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Decimation);

/** The colours a chart is drawn in. */
export interface ThemeColors {
  fg: string;
  muted: string;
  grid: string;
  surface: string;
  border: string;
  /** The app's accent (the train bars of the class histogram). */
  accent: string;
}

/** Chart colours from the app's CSS variables (they follow the OS's light/dark setting). */
export function themeColors(): ThemeColors {
  const css = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: read('--fg', '#1b1d22'),
    muted: read('--muted', '#5f6672'),
    grid: read('--border', '#d9dde4'),
    surface: read('--surface', '#ffffff'),
    border: read('--border', '#d9dde4'),
    accent: read('--accent', '#3b5bdb'),
  };
}

export { Chart };
