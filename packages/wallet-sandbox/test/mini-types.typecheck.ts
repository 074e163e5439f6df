// Type-level tests of the shim, checked with the platform's own types (@mini-types/alipay) by
// tsconfig.mini-types.json: the real `my` is accepted without a cast, and misuse does not compile.
import { installSandbox, type Outcome } from '../src/mini';

const uninstall: () => void = installSandbox(my, { baseUrl: 'http://127.0.0.1:8210' });
uninstall();

installSandbox(my, { baseUrl: 'http://127.0.0.1:8210', choose: () => 'network-error' });
installSandbox(my, { baseUrl: 'http://127.0.0.1:8210', choose: () => Promise.resolve('cancel'), customerId: 'alice' });
installSandbox(my, { baseUrl: 'http://127.0.0.1:8210', choose: async (): Promise<Outcome> => 'pay' });

// @ts-expect-error an outcome outside the six
installSandbox(my, { baseUrl: 'http://127.0.0.1:8210', choose: () => 'refund' });

// @ts-expect-error baseUrl is required
installSandbox(my, {});

// @ts-expect-error a runtime without request is not enough
installSandbox({ tradePay() {} }, { baseUrl: 'http://127.0.0.1:8210' });
