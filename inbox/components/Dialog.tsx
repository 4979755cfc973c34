import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";

/** A modal on the native <dialog>: focus moves in and is kept there, Escape closes, focus returns. */
export function Dialog({ open, onClose, label, children, class: className }: { open: boolean; onClose(): void; label: string; children: ComponentChildren; class?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useLayoutEffect(() => {
    const dialog = ref.current!;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-label={label} class={className} onClose={onClose}>
      {open && children}
    </dialog>
  );
}
