const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Elements Tab can reach inside `root`, in document order. Only the first and the last matter
 * to the trap, and neither is ever a radio button, so radio groups need no special case.
 */
export function tabbables(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(TABBABLE)].filter((element) => element.tabIndex >= 0 && element.checkVisibility());
}

/**
 * Keeps Tab and Shift+Tab inside `root` (a modal panel): from the last stop back to the
 * first and the other way round. Answers true when it moved focus.
 */
export function trapTab(event: KeyboardEvent, root: ParentNode & { activeElement: Element | null }): boolean {
  const stops = tabbables(root);
  const first = stops[0];
  const last = stops.at(-1);
  if (!first || !last) return false;
  const active = root.activeElement;
  const inside = stops.includes(active as HTMLElement);
  if (event.shiftKey && (active === first || !inside)) last.focus();
  else if (!event.shiftKey && (active === last || !inside)) first.focus();
  else return false;
  event.preventDefault();
  return true;
}
