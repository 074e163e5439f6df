// The virtual tree (render.ts) applied to a page's document, and the built-in tags drawn as the platform
// draws them: each keeps its platform name as the element name (so ACSS selectors like `view` or `text`
// match), except where a real HTML element does the work (button, input, textarea, label). Events are
// delegated from the page's root: a tap walks from the target up, calling each `on<Event>` binding and
// stopping at a `catch<Event>`, as the platform bubbles.
import type { ViewEvent } from '../shared/protocol';
import type { Binding, VElement, VNode } from './render';

const DOM_TAG: Record<string, string> = {
  view: 'view',
  text: 'text',
  image: 'image',
  button: 'button',
  input: 'input',
  textarea: 'textarea',
  'scroll-view': 'scroll-view',
  label: 'label',
};

/** The platform's look of the built-ins, before app.acss (which may override it). */
export const BASE_CSS = `
html, body { margin: 0; padding: 0; height: 100%; -webkit-text-size-adjust: 100%; }
body { font-family: -apple-system, BlinkMacSystemFont, "PingFang SC", "Helvetica Neue", Helvetica, Arial, "Noto Sans", sans-serif; font-size: 16px; line-height: 1.5; color: #000; -webkit-tap-highlight-color: transparent; }
page { display: block; min-height: 100%; box-sizing: border-box; }
view, scroll-view { display: block; }
text { display: inline; white-space: pre-wrap; }
image { display: inline-block; position: relative; width: 300px; height: 225px; overflow: hidden; }
image > img { display: block; width: 100%; height: 100%; }
image[data-mode="widthFix"] { height: auto; }
image[data-mode="widthFix"] > img { height: auto; }
image[data-mode="heightFix"] { width: auto; }
image[data-mode="heightFix"] > img { width: auto; }
scroll-view { -webkit-overflow-scrolling: touch; }
button { position: relative; display: block; box-sizing: border-box; width: 100%; margin: 0; padding: 0 15px; font: inherit; font-size: 18px; line-height: 2.55; text-align: center; color: #333; background: #fff; border: 1px solid #ddd; border-radius: 4px; -webkit-appearance: none; appearance: none; cursor: pointer; outline: none; }
button[data-type="primary"] { color: #fff; background: #1677ff; border-color: #1677ff; }
button[data-type="warn"] { color: #fff; background: #ff3141; border-color: #ff3141; }
button[data-size="mini"] { display: inline-block; width: auto; font-size: 14px; line-height: 2; padding: 0 10px; }
button[disabled] { opacity: 0.4; cursor: default; }
.button-hover { filter: brightness(0.92); }
input, textarea { display: block; box-sizing: border-box; font: inherit; border: 0; outline: none; background: transparent; padding: 0; margin: 0; }
[hidden] { display: none !important; }
`;

/** The element a vnode was drawn as. */
interface Drawn {
  vnode: VElement;
}

const DRAWN = new WeakMap<Element, Drawn>();

export function patchChildren(parent: Element, previous: VNode[], next: VNode[]): void {
  const doc = parent.ownerDocument;
  const existing = Array.from(parent.childNodes);
  next.forEach((vnode, index) => {
    const old = previous[index];
    const node = existing[index];
    if (node && old && sameKind(old, vnode)) {
      if ('text' in vnode) {
        if (node.textContent !== vnode.text) node.textContent = vnode.text;
      } else {
        patchElement(node as Element, old as VElement, vnode);
      }
      return;
    }
    const created = create(doc, vnode);
    if (node) parent.replaceChild(created, node);
    else parent.appendChild(created);
  });
  for (let i = existing.length - 1; i >= next.length; i--) existing[i]?.remove();
}

function sameKind(a: VNode, b: VNode): boolean {
  if ('text' in a || 'text' in b) return 'text' in a && 'text' in b;
  return a.tag === b.tag;
}

function create(doc: Document, vnode: VNode): Node {
  if ('text' in vnode) return doc.createTextNode(vnode.text);
  const element = doc.createElement(DOM_TAG[vnode.tag] ?? 'view');
  if (vnode.tag === 'image') element.appendChild(doc.createElement('img'));
  patchElement(element, undefined, vnode);
  return element;
}

function patchElement(element: Element, old: VElement | undefined, vnode: VElement): void {
  DRAWN.set(element, { vnode });
  const attrs = vnode.attrs;
  setAttribute(element, 'class', attrs.class === undefined ? undefined : text(attrs.class));
  setAttribute(element, 'style', attrs.style === undefined ? undefined : rpxInStyle(text(attrs.style), width(element)));
  setAttribute(element, 'id', attrs.id === undefined || attrs.id === '' ? undefined : text(attrs.id));
  setAttribute(element, 'hidden', attrs.hidden ? '' : undefined);
  for (const [key, value] of Object.entries(vnode.dataset)) setAttribute(element, `data-${kebab(key)}`, text(value));
  if (old)
    for (const key of Object.keys(old.dataset))
      if (!(key in vnode.dataset)) element.removeAttribute(`data-${kebab(key)}`);
  switch (vnode.tag) {
    case 'image':
      patchImage(element, vnode);
      break;
    case 'button':
      setAttribute(element, 'data-type', attrs.type ? text(attrs.type) : undefined);
      setAttribute(element, 'data-size', attrs.size ? text(attrs.size) : undefined);
      setAttribute(element, 'disabled', truthy(attrs.disabled) ? '' : undefined);
      (element as HTMLButtonElement).type = 'button';
      break;
    case 'input':
    case 'textarea':
      patchInput(element as HTMLInputElement, old, vnode);
      break;
    case 'scroll-view': {
      const style = (element as HTMLElement).style;
      style.overflowX = truthy(attrs.scrollX) ? 'auto' : 'hidden';
      style.overflowY = truthy(attrs.scrollY) ? 'auto' : 'hidden';
      if (attrs.scrollTop !== undefined && (!old || old.attrs.scrollTop !== attrs.scrollTop))
        (element as HTMLElement).scrollTop = Number(attrs.scrollTop);
      if (attrs.scrollLeft !== undefined && (!old || old.attrs.scrollLeft !== attrs.scrollLeft))
        (element as HTMLElement).scrollLeft = Number(attrs.scrollLeft);
      break;
    }
  }
  if (vnode.tag !== 'input' && vnode.tag !== 'textarea' && vnode.tag !== 'image')
    patchChildren(element, old ? old.children : [], vnode.children);
}

function patchImage(element: Element, vnode: VElement): void {
  const img = element.firstElementChild as HTMLImageElement;
  const mode = text(vnode.attrs.mode) || 'scaleToFill';
  setAttribute(element, 'data-mode', mode);
  const fit: Record<string, string> = {
    scaleToFill: 'fill',
    aspectFit: 'contain',
    aspectFill: 'cover',
    widthFix: 'fill',
    heightFix: 'fill',
    center: 'none',
  };
  img.style.objectFit = fit[mode] ?? 'none';
  const position: Record<string, string> = {
    top: 'top',
    bottom: 'bottom',
    left: 'left',
    right: 'right',
    'top left': 'left top',
    'top right': 'right top',
    'bottom left': 'left bottom',
    'bottom right': 'right bottom',
  };
  img.style.objectPosition = position[mode] ?? 'center';
  const src = text(vnode.attrs.src);
  const resolved = src === '' ? '' : /^(https?:|data:|blob:)/.test(src) ? src : `/__app/${src.replace(/^\/+/, '')}`;
  if (img.getAttribute('src') !== resolved) {
    if (resolved) img.setAttribute('src', resolved);
    else img.removeAttribute('src');
  }
}

function patchInput(element: HTMLInputElement, old: VElement | undefined, vnode: VElement): void {
  const attrs = vnode.attrs;
  if (element.tagName === 'INPUT') {
    const type = text(attrs.type);
    element.type = truthy(attrs.password) ? 'password' : type === 'number' || type === 'digit' ? 'text' : 'text';
    if (type === 'number' || type === 'digit' || type === 'idcard')
      element.inputMode = type === 'digit' ? 'decimal' : type === 'number' ? 'numeric' : 'text';
  }
  setAttribute(element, 'placeholder', attrs.placeholder ? text(attrs.placeholder) : undefined);
  setAttribute(
    element,
    'maxlength',
    attrs.maxlength !== undefined && Number(attrs.maxlength) >= 0 ? String(attrs.maxlength) : undefined,
  );
  element.disabled = truthy(attrs.disabled);
  const value = text(attrs.value);
  // A controlled value: written when the data changed, never over what the person is typing otherwise.
  if (!old || old.attrs.value !== attrs.value) if (element.value !== value) element.value = value;
  if (truthy(attrs.focus) && (!old || !truthy(old.attrs.focus))) setTimeout(() => element.focus(), 0);
}

function setAttribute(element: Element, name: string, value: string | undefined): void {
  if (value === undefined) {
    if (element.hasAttribute(name)) element.removeAttribute(name);
  } else if (element.getAttribute(name) !== value) {
    element.setAttribute(name, value);
  }
}

function text(value: unknown): string {
  return value === undefined || value === null || value === false ? '' : String(value);
}

/** Boolean props: `{{false}}` is false, the string "false" is true (as on the platform), a bare attribute true. */
function truthy(value: unknown): boolean {
  return !!value;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function width(element: Element): number {
  return Number(element.ownerDocument.documentElement.getAttribute('data-width')) || 375;
}

export function rpxInStyle(style: string, deviceWidth: number): string {
  return style.replace(
    /(-?(?:\d+\.?\d*|\.\d+))rpx\b/g,
    (_all, number: string) => `${Math.round(((Number(number) * deviceWidth) / 750) * 10000) / 10000}px`,
  );
}

/** The element's vnode, for events. */
export function drawnOf(element: Element): VElement | undefined {
  return DRAWN.get(element)?.vnode;
}

export interface EventSink {
  (binding: Binding, event: ViewEvent): void;
}

function targetInfo(element: Element) {
  const vnode = drawnOf(element);
  return {
    id: element.id,
    tagName: vnode?.tag ?? element.tagName.toLowerCase(),
    dataset: { ...(vnode?.dataset ?? {}) },
  };
}

/** Calls the bindings of `type` from `target` up to the page root: on* bubbles, catch* stops. */
export function dispatch(
  root: Element,
  target: Element,
  type: string,
  detail: Record<string, unknown>,
  sink: EventSink,
): void {
  const targetData = targetInfo(target);
  for (
    let element: Element | null = target;
    element && element !== root.parentElement;
    element = element.parentElement
  ) {
    const vnode = drawnOf(element);
    const binding = vnode?.events[type];
    if (!binding) continue;
    const current = targetInfo(element);
    sink(binding, {
      type,
      timeStamp: Date.now(),
      target: { ...targetData, targetDataset: targetData.dataset },
      currentTarget: current,
      detail,
    });
    if (binding.catch) return;
  }
}

/** The nearest drawn element at or above a DOM node. */
export function drawnElement(node: EventTarget | null, root: Element): Element | undefined {
  // The page's document is an iframe's: its nodes are not `instanceof Node` of this window.
  const domNode = node as Node | null;
  let current =
    domNode && typeof domNode.nodeType === 'number'
      ? domNode.nodeType === 1
        ? (domNode as Element)
        : domNode.parentElement
      : null;
  while (current && !DRAWN.has(current) && current !== root) current = current.parentElement;
  return current && DRAWN.has(current) ? current : undefined;
}

/** Wires a page document's DOM events to bindings. */
export function listen(root: Element, sink: EventSink): void {
  const doc = root.ownerDocument;
  doc.addEventListener('click', (event) => {
    const target = drawnElement(event.target, root);
    if (!target) return;
    // A disabled built-in button does not tap.
    const button = target.closest('button');
    if (button && button.hasAttribute('disabled')) return;
    const mouse = event as MouseEvent;
    dispatch(
      root,
      target,
      'tap',
      {
        pageX: mouse.pageX,
        pageY: mouse.pageY,
        clientX: mouse.clientX,
        clientY: mouse.clientY,
        x: mouse.pageX,
        y: mouse.pageY,
      },
      sink,
    );
  });
  doc.addEventListener('input', (event) => {
    const target = drawnElement(event.target, root);
    if (!target) return;
    const input = event.target as HTMLInputElement;
    dispatch(root, target, 'input', { value: input.value, cursor: input.selectionStart ?? input.value.length }, sink);
  });
  doc.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key !== 'Enter') return;
    const target = drawnElement(event.target, root);
    if (target) dispatch(root, target, 'confirm', { value: (event.target as HTMLInputElement).value }, sink);
  });
  for (const [dom, type] of [
    ['focusin', 'focus'],
    ['focusout', 'blur'],
  ] as const) {
    doc.addEventListener(dom, (event) => {
      const target = drawnElement(event.target, root);
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) {
        const vnode = drawnOf(target);
        const binding = vnode?.events[type];
        if (binding) dispatch(root, target, type, { value: (target as HTMLInputElement).value }, sink);
      }
    });
  }
  doc.addEventListener(
    'scroll',
    (event) => {
      const target = drawnElement(event.target, root);
      if (!target || target.tagName.toLowerCase() !== 'scroll-view') return;
      const element = target as HTMLElement;
      const binding = drawnOf(target)?.events.scroll;
      if (binding)
        dispatch(
          root,
          target,
          'scroll',
          {
            scrollTop: element.scrollTop,
            scrollLeft: element.scrollLeft,
            scrollHeight: element.scrollHeight,
            scrollWidth: element.scrollWidth,
          },
          sink,
        );
    },
    true,
  );
  // hoverClass: added while pressed (after hoverStartTime), kept for hoverStayTime after release.
  let pressed: { element: Element; classes: string[]; timer?: ReturnType<typeof setTimeout> } | undefined;
  const release = () => {
    const current = pressed;
    pressed = undefined;
    if (!current) return;
    if (current.timer) clearTimeout(current.timer);
    const stay = Number(
      drawnOf(current.element)?.attrs.hoverStayTime ?? (current.element.tagName === 'BUTTON' ? 70 : 400),
    );
    setTimeout(() => current.element.classList.remove(...current.classes), stay);
  };
  doc.addEventListener('pointerdown', (event) => {
    let element = drawnElement(event.target, root);
    while (element) {
      const vnode = drawnOf(element);
      const hover = vnode?.attrs.hoverClass ?? (vnode?.tag === 'button' ? 'button-hover' : undefined);
      if (typeof hover === 'string' && hover !== '' && hover !== 'none') {
        if (element.tagName === 'BUTTON' && element.hasAttribute('disabled')) return;
        const classes = hover.split(/\s+/).filter(Boolean);
        const start = Number(vnode?.attrs.hoverStartTime ?? (vnode?.tag === 'button' ? 20 : 50));
        const target = element;
        pressed = { element: target, classes, timer: setTimeout(() => target.classList.add(...classes), start) };
        return;
      }
      if (vnode?.attrs.hoverStopPropagation) return;
      element = element.parentElement ? drawnElement(element.parentElement, root) : undefined;
    }
  });
  doc.addEventListener('pointerup', release);
  doc.addEventListener('pointercancel', release);
}
