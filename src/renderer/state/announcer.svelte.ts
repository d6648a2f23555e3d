// What a screen reader is told of changes made out of its sight: a run that ends ("adam 0.001 · 128 relu
// completed"), a data set loaded ("fashion_train.csv loaded: 60,000 rows"). App.svelte shows `text` in one polite,
// visually hidden live region; `count` makes each message a new text node, so the same words twice are said twice.
import type { RunSummary } from '../../shared/api/runs';

/** The statuses said when a run reaches them: it has ended, and nothing on screen says so near the focus. */
const ENDINGS: Partial<Record<RunSummary['status'], string>> = {
  completed: 'completed',
  stopped: 'stopped',
  diverged: 'diverged',
  failed: 'failed',
};

class Announcer {
  text = $state('');
  count = $state(0);

  say(text: string): void {
    this.text = text;
    this.count++;
  }

  /** A run's status changed from `before`: said if it ended. `name`: the run's name as the page shows it. */
  runStatus(name: string, before: RunSummary['status'], after: RunSummary['status']): void {
    const ending = ENDINGS[after];
    if (ending && before !== after) this.say(`${name} ${ending}`);
  }
}

export const announcer = new Announcer();
