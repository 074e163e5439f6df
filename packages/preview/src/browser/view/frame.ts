// The phone frame: status bar, title bar (title, colour, back arrow), the pages area and the layer the
// JSAPIs that need the screen draw in (toast, loading, alert, confirm, action sheet, the cashier sheet).
// Every element tests look for has a `preview-*` class.

export const STATUS_BAR_HEIGHT = 44;
export const TITLE_BAR_HEIGHT = 48;

export const FRAME_CSS = `
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { background: #e8ebf0; font: 14px/1.4 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; display: flex; align-items: flex-start; justify-content: center; }
.preview-stage { padding: 24px; display: flex; flex-direction: column; align-items: center; gap: 10px; }
.preview-device { position: relative; background: #fff; border-radius: 28px; box-shadow: 0 0 0 10px #1d2330, 0 12px 40px rgba(0,0,0,.35); overflow: hidden; display: flex; flex-direction: column; }
.preview-status-bar { flex: none; display: flex; justify-content: space-between; align-items: center; padding: 0 22px; font-size: 14px; font-weight: 600; }
.preview-title-bar { flex: none; position: relative; display: flex; align-items: center; justify-content: center; font-size: 17px; font-weight: 500; }
.preview-title { max-width: 70%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.preview-back { position: absolute; left: 4px; top: 0; bottom: 0; width: 44px; border: 0; background: transparent; color: inherit; font-size: 28px; line-height: 1; cursor: pointer; }
.preview-pages { position: relative; flex: 1; overflow: hidden; background: #fff; }
.preview-page { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; background: #fff; }
.preview-page[hidden] { display: none; }
.preview-layer { position: absolute; inset: 0; pointer-events: none; }
.preview-layer > * { pointer-events: auto; }
.preview-mask { position: absolute; inset: 0; background: rgba(0,0,0,.45); }
.preview-mask.clear { background: transparent; }
.preview-toast, .preview-loading { position: absolute; left: 50%; top: 45%; transform: translate(-50%, -50%); max-width: 70%; padding: 12px 16px; border-radius: 8px; background: rgba(0,0,0,.75); color: #fff; text-align: center; font-size: 15px; }
.preview-toast-icon { display: block; font-size: 30px; line-height: 1.2; }
.preview-spinner { display: block; margin: 0 auto 6px; width: 26px; height: 26px; border: 3px solid rgba(255,255,255,.3); border-top-color: #fff; border-radius: 50%; animation: preview-spin .8s linear infinite; }
@keyframes preview-spin { to { transform: rotate(360deg); } }
.preview-modal { position: absolute; left: 50%; top: 50%; transform: translate(-50%, -50%); width: 80%; background: #fff; border-radius: 12px; overflow: hidden; text-align: center; }
.preview-modal-title { padding: 20px 16px 4px; font-size: 17px; font-weight: 600; }
.preview-modal-content { padding: 8px 16px 20px; color: #666; font-size: 15px; white-space: pre-wrap; }
.preview-modal-buttons { display: flex; border-top: 1px solid #eee; }
.preview-modal-buttons button { flex: 1; padding: 13px; border: 0; background: #fff; font-size: 17px; color: #1677ff; cursor: pointer; }
.preview-modal-buttons button + button { border-left: 1px solid #eee; }
.preview-modal-buttons .preview-cancel { color: #333; }
.preview-sheet { position: absolute; left: 0; right: 0; bottom: 0; background: #f5f5f5; border-radius: 12px 12px 0 0; overflow: hidden; }
.preview-sheet-title { padding: 14px 16px; color: #999; font-size: 13px; text-align: center; background: #fff; border-bottom: 1px solid #eee; }
.preview-sheet-item { display: block; width: 100%; padding: 14px; border: 0; border-bottom: 1px solid #eee; background: #fff; font-size: 17px; color: #333; cursor: pointer; }
.preview-sheet-cancel { display: block; width: 100%; margin-top: 8px; padding: 14px; border: 0; background: #fff; font-size: 17px; color: #333; cursor: pointer; }
.preview-cashier { position: absolute; left: 0; right: 0; bottom: 0; height: 88%; display: flex; flex-direction: column; background: #fff; border-radius: 12px 12px 0 0; overflow: hidden; }
.preview-cashier-bar { flex: none; display: flex; align-items: center; justify-content: space-between; padding: 10px 14px; border-bottom: 1px solid #eee; font-weight: 600; }
.preview-cashier-close { border: 0; background: transparent; font-size: 22px; cursor: pointer; line-height: 1; }
.preview-cashier iframe { flex: 1; width: 100%; border: 0; }
.preview-caption { color: #667; font-size: 12px; }
.preview-overlay { position: absolute; inset: 0; z-index: 10; background: rgba(24,0,0,.82); color: #fff; overflow: auto; padding: 16px; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.preview-overlay h2 { margin: 0 0 10px; font-size: 16px; color: #ffb4b4; }
.preview-overlay ol { margin: 0; padding-left: 20px; }
.preview-problem { margin-bottom: 10px; }
.preview-problem-where { color: #ffd27a; }
.preview-problem.warning .preview-problem-where { color: #9fd3ff; }
.preview-problem pre { margin: 4px 0 0; white-space: pre-wrap; color: #ddd; font-size: 11px; }
.preview-overlay-close { float: right; border: 1px solid #fff6; background: transparent; color: #fff; border-radius: 6px; padding: 3px 10px; cursor: pointer; }
`;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Black or white text for a bar colour, by its luminance. */
function textColourOn(background: string): string {
  const match = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(background.trim());
  if (!match) return '#000';
  const hex =
    (match[1] as string).length === 3 ? (match[1] as string).replace(/./g, (c) => c + c) : (match[1] as string);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  return 0.299 * r + 0.587 * g + 0.114 * b > 160 ? '#000' : '#fff';
}

export class PhoneFrame {
  readonly device: HTMLDivElement;
  readonly pages: HTMLDivElement;
  readonly layer: HTMLDivElement;
  private readonly titleBar: HTMLDivElement;
  private readonly statusBar: HTMLDivElement;
  private readonly title: HTMLSpanElement;
  private readonly back: HTMLButtonElement;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private toast: { node: HTMLElement; done(): void } | undefined;
  private loading: HTMLElement | undefined;

  constructor(
    readonly width: number,
    readonly height: number,
    onBack: () => void,
  ) {
    const style = document.createElement('style');
    style.textContent = FRAME_CSS;
    document.head.appendChild(style);
    const stage = element('div', 'preview-stage');
    this.device = element('div', 'preview-device');
    this.device.style.width = `${width}px`;
    this.device.style.height = `${height}px`;
    this.statusBar = element('div', 'preview-status-bar');
    this.statusBar.style.height = `${STATUS_BAR_HEIGHT}px`;
    this.statusBar.append(element('span', '', '9:41'), element('span', '', '▮▮▮ 100%'));
    this.titleBar = element('div', 'preview-title-bar');
    this.titleBar.style.height = `${TITLE_BAR_HEIGHT}px`;
    this.back = element('button', 'preview-back', '‹');
    this.back.setAttribute('aria-label', 'Back');
    this.back.hidden = true;
    this.back.addEventListener('click', onBack);
    this.title = element('span', 'preview-title');
    this.titleBar.append(this.back, this.title);
    this.pages = element('div', 'preview-pages');
    this.layer = element('div', 'preview-layer');
    this.device.append(this.statusBar, this.titleBar, this.pages, this.layer);
    stage.append(
      this.device,
      element('div', 'preview-caption', `minipay preview · ${width}px wide (750rpx = ${width}px)`),
    );
    document.body.appendChild(stage);
  }

  setTitle(title: string, background: string): void {
    this.title.textContent = title;
    const colour = textColourOn(background);
    for (const bar of [this.titleBar, this.statusBar]) {
      bar.style.background = background;
      bar.style.color = colour;
    }
  }

  setBack(visible: boolean): void {
    this.back.hidden = !visible;
  }

  /** The JSAPIs that draw on the screen. Resolves with what the JSAPI's success callback receives. */
  call(api: string, options: Record<string, any>): Promise<unknown> {
    switch (api) {
      case 'showToast':
        return this.showToast(String(options.content), String(options.type), Number(options.duration));
      case 'hideToast':
        this.hideToast();
        return Promise.resolve({});
      case 'showLoading':
        this.hideLoading();
        this.loading = element('div', 'preview-mask clear');
        this.loading.append(this.box('preview-loading', options.content as string, true));
        this.layer.append(this.loading);
        return Promise.resolve({});
      case 'hideLoading':
        this.hideLoading();
        return Promise.resolve({});
      case 'alert':
        return this.modal(options.title, options.content, [{ text: options.buttonText, value: {} }]);
      case 'confirm':
        return this.modal(options.title, options.content, [
          { text: options.cancelButtonText, value: { confirm: false }, cancel: true },
          { text: options.confirmButtonText, value: { confirm: true } },
        ]);
      case 'showActionSheet':
        return this.actionSheet(options.title, options.items as string[], options.cancelButtonText);
      case 'tradePay':
        return this.cashier(String(options.paymentUrl));
    }
    return Promise.reject({ error: 3, errorMessage: `the preview's view cannot do ${api}` });
  }

  private box(className: string, content: string, spinner: boolean, icon?: string): HTMLElement {
    const box = element('div', className);
    if (spinner) box.append(element('span', 'preview-spinner'));
    if (icon) box.append(element('span', 'preview-toast-icon', icon));
    if (content) box.append(document.createTextNode(content));
    return box;
  }

  private showToast(content: string, type: string, duration: number): Promise<unknown> {
    this.hideToast();
    const icons: Record<string, string> = { success: '✓', fail: '✕', exception: '!' };
    const node = this.box('preview-toast', content, false, icons[type]);
    this.layer.append(node);
    return new Promise((resolve) => {
      this.toast = { node, done: () => resolve({}) };
      this.toastTimer = setTimeout(() => this.hideToast(), Number.isFinite(duration) && duration > 0 ? duration : 2000);
    });
  }

  private hideToast(): void {
    if (this.toastTimer) clearTimeout(this.toastTimer);
    const toast = this.toast;
    this.toast = undefined;
    if (toast) {
      toast.node.remove();
      toast.done();
    }
  }

  private hideLoading(): void {
    this.loading?.remove();
    this.loading = undefined;
  }

  private modal(
    title: string,
    content: string,
    buttons: Array<{ text: string; value: unknown; cancel?: boolean }>,
  ): Promise<unknown> {
    return new Promise((resolve) => {
      const mask = element('div', 'preview-mask');
      const modal = element('div', 'preview-modal');
      if (title) modal.append(element('div', 'preview-modal-title', title));
      if (content) modal.append(element('div', 'preview-modal-content', content));
      const row = element('div', 'preview-modal-buttons');
      for (const button of buttons) {
        const node = element('button', button.cancel ? 'preview-cancel' : 'preview-confirm', button.text);
        node.addEventListener('click', () => {
          mask.remove();
          resolve(button.value);
        });
        row.append(node);
      }
      modal.append(row);
      mask.append(modal);
      this.layer.append(mask);
    });
  }

  private actionSheet(title: string, items: string[], cancelText: string): Promise<unknown> {
    return new Promise((resolve) => {
      const mask = element('div', 'preview-mask');
      const sheet = element('div', 'preview-sheet preview-action-sheet');
      const done = (index: number) => {
        mask.remove();
        resolve({ index });
      };
      mask.addEventListener('click', (event) => {
        if (event.target === mask) done(-1);
      });
      if (title) sheet.append(element('div', 'preview-sheet-title', title));
      items.forEach((item, index) => {
        const button = element('button', 'preview-sheet-item', item);
        button.addEventListener('click', () => done(index));
        sheet.append(button);
      });
      const cancel = element('button', 'preview-sheet-cancel', cancelText);
      cancel.addEventListener('click', () => done(-1));
      sheet.append(cancel);
      mask.append(sheet);
      this.layer.append(mask);
    });
  }

  /**
   * `my.tradePay({ paymentUrl })`: the cashier page in a sheet over the frame. The sandbox's cashier, when it
   * is embedded, posts `{ type: 'minipay:cashier-result', resultCode }` to its parent; only a message from
   * that frame and the cashier's own origin counts. Closing the sheet is the person cancelling (6001).
   */
  private cashier(paymentUrl: string): Promise<unknown> {
    return new Promise((resolve) => {
      const origin = new URL(paymentUrl).origin;
      const mask = element('div', 'preview-mask');
      const sheet = element('div', 'preview-cashier');
      const bar = element('div', 'preview-cashier-bar');
      const close = element('button', 'preview-cashier-close', '✕');
      close.setAttribute('aria-label', 'Close the cashier');
      bar.append(element('span', '', 'Cashier'), close);
      const frame = document.createElement('iframe');
      frame.className = 'preview-cashier-frame';
      frame.src = paymentUrl;
      sheet.append(bar, frame);
      mask.append(sheet);
      this.layer.append(mask);
      const finish = (resultCode: string) => {
        window.removeEventListener('message', onMessage);
        mask.remove();
        resolve({ resultCode });
      };
      const onMessage = (event: MessageEvent) => {
        if (event.source !== frame.contentWindow || event.origin !== origin) return;
        const data = event.data as { type?: unknown; resultCode?: unknown } | null;
        if (!data || data.type !== 'minipay:cashier-result' || typeof data.resultCode !== 'string') return;
        finish(data.resultCode);
      };
      window.addEventListener('message', onMessage);
      close.addEventListener('click', () => finish('6001'));
    });
  }
}
