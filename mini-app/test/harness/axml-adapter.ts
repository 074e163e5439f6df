/**
 * Renders the app's .axml with miniprogram-simulate, which only reads WeChat's template syntax. This
 * adapter translates the subset of axml the app uses and refuses anything else, so a template that
 * grows a new construct fails here instead of being rendered wrongly:
 *   a:if / a:elif / a:else / a:for / a:for-item / a:for-index / a:key  →  wx:*
 *   onTap="h" / catchTap="h" (any on<Event>/catch<Event>)               →  bind:tap="h" / catch:tap="h"
 *   <custom-tag ... />                                                   →  <custom-tag ...></custom-tag>
 *   className="x" on a custom component                                  →  also class="x" on its host
 * Custom components (antd-mini) are replaced by stubs that render their text props and slots and
 * raise the events the real ones raise (a disabled or loading button raises none). antd-mini does not
 * raise WeChat-style events: it calls the page's handler with its own arguments (Button `onTap(event)`,
 * Stepper `onChange(value, event)`), the event carrying the host's `data-*` as `currentTarget.dataset`.
 * The stubs put those arguments in the event's `detail.antdArgs`, and {@link antdHandlerArgs} turns the
 * event miniprogram-simulate delivers back into the argument list the real component would pass.
 */
const DIRECTIVES = ['if', 'elif', 'else', 'for', 'for-item', 'for-index', 'key'];

export function axmlToWxml(axml: string): string {
  if (/<import-sjs|<import\s|<include\s|<template\s/.test(axml)) {
    throw new Error('axml adapter: import-sjs/import/include/template are not in the subset it translates');
  }
  const unknown = [...axml.matchAll(/\sa:([\w-]+)=?/g)]
    .map((m) => m[1] as string)
    .filter((d) => !DIRECTIVES.includes(d));
  if (unknown.length) throw new Error(`axml adapter: unsupported directive(s) a:${[...new Set(unknown)].join(', a:')}`);

  let wxml = axml.replace(/(\s)a:([\w-]+)/g, '$1wx:$2');
  wxml = wxml.replace(/(\s)(on|catch)([A-Z]\w*)=/g, (_all, space: string, kind: string, event: string) => {
    const name = event.charAt(0).toLowerCase() + event.slice(1);
    return `${space}${kind === 'on' ? 'bind' : 'catch'}:${name}=`;
  });
  // Custom components: expand self-closing tags, mirror className to class on the host.
  wxml = wxml.replace(
    /<([a-z][\w]*-[\w-]+)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*(\/?)>/g,
    (_all, tag: string, attrs: string, selfClosing: string) => {
      const className = /\sclassName="([^"]*)"/.exec(attrs);
      const withClass = className && !/\sclass="/.test(attrs) ? `${attrs} class="${className[1]}"` : attrs;
      return selfClosing ? `<${tag}${withClass}></${tag}>` : `<${tag}${withClass}>`;
    },
  );
  return wxml;
}

type Simulate = { load(definition: Record<string, unknown>): string };

/** What a stub puts in `detail`: the arguments antd-mini passes before its event object. */
interface AntdDetail {
  antdArgs: unknown[];
}

/**
 * The arguments antd-mini would call the page's handler with, from the event a stub raised: its values,
 * then an event shaped as antd-mini's `fmtEvent` shapes it (the host's `data-*` in the dataset).
 */
export function antdHandlerArgs(event: {
  detail?: unknown;
  currentTarget?: { dataset?: Record<string, unknown> };
}): unknown[] {
  const detail = event.detail as AntdDetail | undefined;
  if (!detail || !Array.isArray(detail.antdArgs))
    throw new Error('antdHandlerArgs: the event did not come from an antd-mini stub');
  const dataset = { ...(event.currentTarget?.dataset ?? {}) };
  return [...detail.antdArgs, { currentTarget: { dataset }, target: { dataset, targetDataset: dataset } }];
}

const text = { type: String, value: '' };
const flag = { type: Boolean, value: false };

/** Stubs for the antd-mini components the pages use, keyed by the tag the pages give them. */
export function antdStubs(simulate: Simulate): Record<string, string> {
  return {
    'ant-button': simulate.load({
      tagName: 'ant-button',
      template:
        // antd-mini applies `size` only to an inline button (Button/index.axml): the stub does the same.
        '<view class="stub-button {{inline ? \'ant-button-inline ant-button-\' + (size || \'medium\') : \'\'}}" data-disabled="{{disabled || loading}}" catch:tap="press"><slot></slot></view>',
      properties: { className: text, type: text, size: text, inline: flag, disabled: flag, loading: flag },
      methods: {
        press(this: any) {
          if (!this.data.disabled && !this.data.loading) this.triggerEvent('tap', { antdArgs: [] });
        },
      },
    }),
    'ant-list': simulate.load({
      tagName: 'ant-list',
      template: '<view class="stub-list"><view class="stub-list-header">{{header}}</view><slot></slot></view>',
      properties: { className: text, header: text, radius: flag },
    }),
    'ant-list-item': simulate.load({
      tagName: 'ant-list-item',
      options: { multipleSlots: true },
      template:
        '<view class="stub-list-item"><view class="stub-title">{{title}}</view><slot></slot><view class="stub-brief">{{brief}}</view><view class="stub-extra">{{extra}}<slot name="extra"></slot></view></view>',
      properties: { className: text, title: text, brief: text, extra: text },
    }),
    'ant-stepper': simulate.load({
      tagName: 'ant-stepper',
      template:
        '<view class="stub-stepper"><view class="stub-minus" catch:tap="minus">-</view><view class="stub-value">{{value}}</view><view class="stub-plus" catch:tap="plus">+</view></view>',
      properties: {
        value: { type: Number, value: 0 },
        min: { type: Number, value: 0 },
        max: { type: Number, value: 99 },
        inputReadOnly: flag,
      },
      methods: {
        minus(this: any) {
          if (this.data.value > this.data.min) this.triggerEvent('change', { antdArgs: [this.data.value - 1] });
        },
        plus(this: any) {
          if (this.data.value < this.data.max) this.triggerEvent('change', { antdArgs: [this.data.value + 1] });
        },
      },
    }),
    'ant-result': simulate.load({
      tagName: 'ant-result',
      template:
        '<view class="stub-result stub-result-{{type}}"><view class="stub-result-title">{{title}}</view><view class="stub-result-message">{{message}}</view></view>',
      properties: { className: text, type: text, title: text, message: text },
    }),
  };
}
