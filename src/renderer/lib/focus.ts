// Keyboard focus across a button's action: a button that goes off (disabled) or away while its action runs
// drops the focus to the page, and the next Tab starts over from the top. The views give it back.
import { tick } from 'svelte';

/** True when nothing has the focus (it is on the page's body). */
export function focusOnPage(): boolean {
  const active = document.activeElement;
  return !active || active === document.body;
}

/**
 * Runs `action` for a press of `button`; if the button had the focus and the focus fell to the page meanwhile,
 * gives it, once the DOM has updated, to target() (default: the button again; null: to nothing).
 */
export async function keepFocus(button: HTMLElement, action: () => unknown, target: () => HTMLElement | null | undefined = () => button): Promise<void> {
  const hadFocus = document.activeElement === button;
  await action();
  await tick();
  if (hadFocus && focusOnPage()) target()?.focus();
}
