// The mini program runtime has timers, but ES2017's lib and @mini-types/alipay do not declare them.
declare function setTimeout(handler: () => void, ms?: number): unknown;
declare function clearTimeout(timer: unknown): void;
