/// <reference lib="dom" />
// Small DOM helpers for the preview page, and the sanitiser for GTM's HTML help texts: the browser's
// own parser reads the HTML, and only text and a few formatting elements survive (links keep an
// http(s) href and open in a new tab); everything else becomes its text.

type Child = Node | string | null | undefined | false;

/** `h('div', { class: 'x', onclick: fn }, 'text', child)`: an element with attributes, handlers and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, unknown> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function')
      el.addEventListener(name.slice(2), value as EventListener);
    else if (name === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
    else if (name === 'checked' && 'checked' in el) (el as HTMLInputElement).checked = value === true;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

const ALLOWED = new Set([
  'B',
  'STRONG',
  'I',
  'EM',
  'U',
  'CODE',
  'PRE',
  'BR',
  'P',
  'UL',
  'OL',
  'LI',
  'SPAN',
  'SMALL',
  'SUB',
  'SUP',
  'A',
]);

function cleanInto(target: Node, source: Node): void {
  for (const node of Array.from(source.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) {
      target.appendChild(document.createTextNode(node.textContent ?? ''));
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      const el = node as Element;
      if (!ALLOWED.has(el.tagName)) {
        cleanInto(target, el);
        continue;
      }
      const copy = document.createElement(el.tagName.toLowerCase());
      if (el.tagName === 'A') {
        const href = el.getAttribute('href') ?? '';
        if (/^https?:\/\//i.test(href)) {
          copy.setAttribute('href', href);
          copy.setAttribute('target', '_blank');
          copy.setAttribute('rel', 'noopener noreferrer');
        }
      }
      cleanInto(copy, el);
      target.appendChild(copy);
    }
  }
}

/** GTM help HTML as safe DOM nodes. */
export function sanitizedHtml(html: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const out = document.createDocumentFragment();
  cleanInto(out, parsed.body);
  return out;
}

/** Replaces every `[data-html]` element's text with its sanitised HTML. */
export function renderHtmlSlots(root: ParentNode): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('[data-html]'))) {
    el.replaceChildren(sanitizedHtml(el.dataset.html ?? ''));
  }
}
