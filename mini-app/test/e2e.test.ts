import { checkout, launchApp, payAndWaitForResult } from './harness/app';
import type { MiniProgramRuntime } from './harness/runtime';
import { startStack, type Stack } from './harness/stack';

let stack: Stack;
let runtime: MiniProgramRuntime | undefined;

beforeAll(async () => {
  stack = await startStack({ reconcileAfterMs: 60_000 });
});
afterEach(() => runtime?.close());
afterAll(() => stack.close());

test('smoke: pay', async () => {
  runtime = launchApp(stack, { choose: 'pay' });
  const confirm = await checkout(runtime);
  expect(confirm.data.order).toBeTruthy();
  const result = await payAndWaitForResult(runtime);
  expect(result.data.view.kind).toBe('paid');
});
