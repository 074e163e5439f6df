// The error overlay over the phone frame: every problem the compiler, the view or the worker found, with
// its file and line, also written to the console. Dismissed by its button; a new problem shows it again.
import type { PreviewProblem } from '../shared/ir';

export class Overlay {
  private readonly problems: PreviewProblem[] = [];
  private readonly seen = new Set<string>();
  private node: HTMLElement | undefined;

  constructor(private readonly parent: HTMLElement) {}

  all(): PreviewProblem[] {
    return [...this.problems];
  }

  add(problem: PreviewProblem, fromWorker = false): void {
    const key = `${problem.code}|${problem.file ?? ''}|${problem.line ?? ''}|${problem.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push(problem);
    // The worker logged its own already.
    if (!fromWorker) {
      const where = problem.file ? `${problem.file}${problem.line ? `:${problem.line}` : ''}: ` : '';
      (problem.level === 'warning' ? console.warn : console.error)(`[minipay-preview] ${where}${problem.message}`);
    }
    this.draw();
  }

  private draw(): void {
    this.node?.remove();
    const overlay = document.createElement('div');
    overlay.className = 'preview-overlay';
    overlay.setAttribute('role', 'alert');
    const close = document.createElement('button');
    close.className = 'preview-overlay-close';
    close.textContent = 'Dismiss';
    close.addEventListener('click', () => {
      overlay.remove();
      this.node = undefined;
    });
    const errors = this.problems.filter((p) => p.level !== 'warning').length;
    const heading = document.createElement('h2');
    heading.textContent = `${errors} error${errors === 1 ? '' : 's'}${this.problems.length > errors ? `, ${this.problems.length - errors} warning${this.problems.length - errors === 1 ? '' : 's'}` : ''} in the mini program`;
    const list = document.createElement('ol');
    for (const problem of this.problems) {
      const item = document.createElement('li');
      item.className = `preview-problem ${problem.level === 'warning' ? 'warning' : 'error'}`;
      item.setAttribute('data-code', problem.code);
      const where = document.createElement('div');
      where.className = 'preview-problem-where';
      where.textContent = `${problem.code}${problem.file ? ` · ${problem.file}${problem.line ? `:${problem.line}` : ''}` : ''}`;
      const message = document.createElement('div');
      message.className = 'preview-problem-message';
      message.textContent = problem.message;
      item.append(where, message);
      if (problem.stack) {
        const stack = document.createElement('pre');
        stack.textContent = problem.stack;
        item.append(stack);
      }
      list.append(item);
    }
    overlay.append(close, heading, list);
    this.parent.append(overlay);
    this.node = overlay;
  }
}
