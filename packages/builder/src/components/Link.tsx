/// <reference lib="dom" />
import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate } from '../router.js';

/**
 * A link to another page of the app: a real `<a href>` (open in a new tab, copy the address), but
 * a plain click moves within the app without reloading it.
 */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  function click(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  }
  return <a href={href} onClick={click} {...rest} />;
}
