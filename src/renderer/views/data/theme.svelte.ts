// Whether the window is in the dark theme, as state: the canvases drawn in the theme's colours (images,
// the class histogram) read `theme.dark` in their effects, so they are drawn again when the system switches
// theme while the app is open, as the page's CSS is.
import { prefersDark } from './images';

class Theme {
  dark = $state(false);

  constructor() {
    if (typeof window === 'undefined' || !window.matchMedia) return;
    this.dark = prefersDark();
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (e) => (this.dark = e.matches));
  }
}

export const theme = new Theme();
