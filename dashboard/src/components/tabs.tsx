/**
 * WAI-ARIA tabs whose selection is a link (each tab has its own URL): arrow keys, Home and End
 * move between tabs; Enter follows.
 */
import { type KeyboardEvent, useRef } from 'react';

export interface TabItem {
  id: string;
  label: string;
  href: string;
}

export function Tabs({ label, items, selected }: { label: string; items: TabItem[]; selected: string }) {
  const refs = useRef<Array<HTMLAnchorElement | null>>([]);
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const last = items.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    refs.current[next]?.focus();
    refs.current[next]?.click();
  };
  return (
    <div role="tablist" aria-label={label} className="tabs">
      {items.map((item, index) => (
        <a
          key={item.id}
          ref={(element) => {
            refs.current[index] = element;
          }}
          role="tab"
          id={`tab-${item.id}`}
          href={item.href}
          aria-selected={item.id === selected}
          aria-controls={`panel-${item.id}`}
          tabIndex={item.id === selected ? 0 : -1}
          className="tab"
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          {item.label}
        </a>
      ))}
    </div>
  );
}
