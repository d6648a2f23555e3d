// App-wide UI state: which view is shown, facts about the host, and whether the services are reachable.
import type { AppInfo } from '../../shared/api';
import { api, transport } from '../lib/api';
import { sentenceCase } from '../lib/format';

export const VIEWS = [
  { id: 'data', label: 'Data', hint: 'Open a data set and look at it' },
  { id: 'train', label: 'Train', hint: 'Choose a network and optimizer, watch it learn' },
  { id: 'evaluate', label: 'Evaluate', hint: 'Confusion matrix, mistakes, per-class scores' },
  { id: 'draw', label: 'Draw', hint: 'Draw a digit or an item and see what the model says' },
  { id: 'models', label: 'Models', hint: 'Export, import, predict a file' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export class AppState {
  view = $state<ViewId>('data');
  info = $state.raw<AppInfo | null>(null);
  /** Set when the services cannot be reached (browser mode's server stopped, …). */
  connectionError = $state<string | null>(null);

  async start(): Promise<void> {
    // The banner starts a sentence with it ("Server stopping. Restart …"); the socket's reason is lower case.
    transport.onClose((reason) => (this.connectionError = sentenceCase(reason)));
    try {
      await transport.ready;
      this.info = await api.app.info();
    } catch (error) {
      this.connectionError = sentenceCase(error instanceof Error ? error.message : String(error));
    }
  }

  show(view: ViewId): void {
    this.view = view;
  }

  /** Moves to the view `delta` places away, wrapping around (arrow keys in the navigation). */
  step(delta: number): ViewId {
    const index = VIEWS.findIndex((v) => v.id === this.view);
    const next = VIEWS[(index + delta + VIEWS.length) % VIEWS.length].id;
    this.view = next;
    return next;
  }
}

export const appState = new AppState();
