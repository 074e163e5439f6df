// The paths the bench's parts post to each other, in one place: the load generator, the bare merchant and the bare
// wallet must agree on them.

/** Where the wallet posts its notifications (the merchant's `paymentNotifyUrl`, and the bare merchant's). */
export const NOTIFY_PATH = '/notify/payment';
/** The wallet's `pay`, as OpenApiClient sends it (its default prefix `/api/open`). */
export const PAY_PATH = '/api/open/v2/payments/pay';
