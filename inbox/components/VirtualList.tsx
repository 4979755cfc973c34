import { elementScroll, measureElement, observeElementOffset, observeElementRect, Virtualizer, type VirtualItem } from "@tanstack/virtual-core";
import type { ComponentChildren, Ref } from "preact";
import { useLayoutEffect, useReducer, useRef, useState } from "preact/hooks";

export interface VirtualListProps {
  count: number;
  estimateSize: number;
  itemKey(index: number): string | number;
  renderItem(index: number, item: VirtualItem): ComponentChildren;
  /** Rows keep the height they are drawn with (the queue) or are measured (the conversation). */
  measure?: boolean;
  /** `end`: a chat — opens at the bottom, keeps the view while older rows arrive above, follows new rows at the bottom. */
  anchor?: "start" | "end";
  /** Called when the first or last rendered row is within `threshold` rows of that end. */
  onNearEnd?(): void;
  onNearStart?(): void;
  threshold?: number;
  class?: string;
  label: string;
  role?: "list" | "listbox" | "log";
  /** Receives the virtualizer, to scroll to a row from outside. */
  handle?: Ref<Virtualizer<HTMLDivElement, HTMLElement> | null>;
  children?: ComponentChildren;
}

/** A list that draws only the rows in view (@tanstack/virtual-core), so 100,000 tickets scroll like 100. */
export function VirtualList(props: VirtualListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const latest = useRef(props);
  latest.current = props;
  const options = () => ({
    count: latest.current.count,
    getScrollElement: () => scroller.current,
    estimateSize: () => latest.current.estimateSize,
    getItemKey: (index: number) => latest.current.itemKey(index),
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    measureElement,
    overscan: 6,
    onChange: () => rerender(undefined),
  });
  const [virtualizer] = useState(() => new Virtualizer<HTMLDivElement, HTMLElement>(options()));
  virtualizer.setOptions({ ...virtualizer.options, ...options() });

  useLayoutEffect(() => virtualizer._didMount(), []);
  useLayoutEffect(() => virtualizer._willUpdate());

  // A chat (anchor "end") opens at the bottom and stays there while rows are measured or new
  // ones arrive, unless the reader has scrolled up; rows added above keep what is in view still.
  const pinned = useRef(true);
  const fromBottom = useRef(0);
  const firstKey = useRef<string | number | null>(null);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element || props.anchor !== "end") return;
    const key = props.count > 0 ? props.itemKey(0) : null;
    if (pinned.current) element.scrollTop = element.scrollHeight;
    else if (firstKey.current !== null && key !== firstKey.current) element.scrollTop = element.scrollHeight - element.clientHeight - fromBottom.current;
    firstKey.current = key;
  });
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element || props.anchor !== "end") return;
    const onScroll = () => {
      fromBottom.current = element.scrollHeight - element.clientHeight - element.scrollTop;
      pinned.current = fromBottom.current < 48;
    };
    element.addEventListener("scroll", onScroll, { passive: true });
    return () => element.removeEventListener("scroll", onScroll);
  }, []);
  if (props.handle) {
    if (typeof props.handle === "function") props.handle(virtualizer);
    else props.handle.current = virtualizer;
  }

  const items = virtualizer.getVirtualItems();
  const threshold = props.threshold ?? 5;
  useLayoutEffect(() => {
    const first = items[0];
    const last = items.at(-1);
    if (last && last.index >= props.count - 1 - threshold) props.onNearEnd?.();
    if (first && first.index <= threshold) props.onNearStart?.();
  });

  return (
    <div ref={scroller} class={`virtual ${props.class ?? ""}`} tabIndex={0} role="region" aria-label={props.label}>
      <div role={props.role ?? "list"} aria-label={props.label} class="virtual-inner" style={{ height: `${virtualizer.getTotalSize()}px` }}>
        {items.map((item) => (
          <div
            key={item.key}
            role="listitem"
            data-index={item.index}
            ref={
              props.measure
                ? (element: HTMLElement | null) => {
                    if (element) virtualizer.measureElement(element);
                  }
                : undefined
            }
            class="virtual-row"
            style={{ transform: `translateY(${item.start}px)`, ...(props.measure ? {} : { height: `${item.size}px` }) }}
          >
            {props.renderItem(item.index, item)}
          </div>
        ))}
      </div>
      {props.children}
    </div>
  );
}
