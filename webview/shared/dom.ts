/**
 * Building DOM without HTML strings: every name, cell and message from a database goes in as a text
 * node, so a user called `<img src=x onerror=…>` stays a string. Attributes that could run or style
 * something (`on…`, `style`, `href`, `src`) are refused outright; behaviour is attached with
 * addEventListener and looks come from stylesheets.
 */
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  className?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

const FORBIDDEN_ATTRIBUTE = /^(on|style$|href$|src$|srcdoc$|formaction$|action$)/i;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  return build(document.createElement(tag), props, children);
}

/** A custom element (the toolkit's `vscode-…` tags) with the same rules. */
export function custom(tag: `${string}-${string}`, props: Props = {}, ...children: Child[]): HTMLElement {
  return build(document.createElement(tag), props, children);
}

function build<E extends HTMLElement>(element: E, props: Props, children: Child[]): E {
  if (props.className) element.className = props.className;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (FORBIDDEN_ATTRIBUTE.test(name)) throw new Error(`el: attribute '${name}' is not allowed`);
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [event, handler] of Object.entries(props.on ?? {}))
    element.addEventListener(event, handler as EventListener);
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
}

/** Replaces everything inside `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}
