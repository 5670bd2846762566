"use client";

import { useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from "react";

/**
 * Windowed list with a fixed row height: only the rows in view plus `overscan` on each side are in
 * the DOM, so a thousand rows cost as much as thirty. Rows are absolutely positioned by `style`.
 */
export function VirtualRows<T>({
  items,
  rowHeight,
  overscan = 10,
  renderRow,
  className,
  testId,
  resetKey,
}: {
  items: readonly T[];
  rowHeight: number;
  overscan?: number;
  renderRow: (item: T, index: number, style: CSSProperties) => ReactNode;
  className?: string;
  testId?: string;
  /** When this changes (new search, filter or sort), the list scrolls back to the top. */
  resetKey?: string;
}) {
  const viewportRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(0);

  useLayoutEffect(() => {
    const element = viewportRef.current;
    if (!element) return;
    setViewportHeight(element.clientHeight);
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (viewportRef.current) viewportRef.current.scrollTop = 0;
    setScrollTop(0);
  }, [resetKey]);

  // Before the first measurement, render one screenful so the first paint already shows rows.
  const height = viewportHeight || 1200;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let index = first; index < last; index++) {
    rows.push(renderRow(items[index] as T, index, { top: index * rowHeight, height: rowHeight }));
  }

  return (
    <div ref={viewportRef} className={className} data-testid={testId} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}>
      <div style={{ height: items.length * rowHeight, position: "relative" }}>{rows}</div>
    </div>
  );
}
