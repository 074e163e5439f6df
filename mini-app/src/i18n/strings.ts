/**
 * Every string a user can see, in English and Spanish. `Strings` is the shape of the English table and
 * the Spanish one must match it key for key (the compiler says so, and a test checks no value is empty).
 * `{name}` marks a placeholder filled by `format`.
 */
export const en = {
  products: {
    title: 'Shop',
    loading: 'Loading products…',
    total: 'Total',
    checkout: 'Checkout',
    emptyCart: 'Choose at least one product.',
    quantity: 'Quantity',
  },
  confirm: {
    title: 'Confirm your order',
    creating: 'Creating your order…',
    payee: 'Pay to',
    total: 'Total',
    pay: 'Pay',
    paying: 'Paying…',
    line: '{quantity} × {price}',
  },
  result: {
    title: 'Payment result',
    loading: 'Checking the payment…',
    paidTitle: 'Payment successful',
    paidMessage: 'Order {orderId} is paid: {amount}.',
    failedTitle: 'Payment failed',
    failedMessage: 'The payment did not go through: {reason}',
    failedNoReason: 'The payment did not go through.',
    cancelledTitle: 'Payment cancelled',
    cancelledMessage: 'Order {orderId} was not paid.',
    pendingTitle: 'Payment pending',
    pendingMessage: 'The wallet has not confirmed the payment yet.',
    checkAgain: 'Check again',
    backToShop: 'Back to the shop',
  },
  errors: {
    unreachable: "Couldn't reach the shop's server. Check your connection and try again.",
    retry: 'Try again',
    paymentRefused: 'The payment could not be created: {reason}',
    notPermitted: 'This mini program is not allowed to take payments in this wallet.',
    tradePayError: "The wallet's cashier could not be opened: {reason}",
    session: "Couldn't sign you in: {reason}",
    generic: 'Something went wrong: {reason}',
  },
  /**
   * Why a payment failed or was refused, by the code the wallet (or the merchant server) gave. The wallet's
   * own message is in the wallet's language, usually English; a code listed here is said in the user's.
   */
  reasons: {
    USER_BALANCE_NOT_ENOUGH: 'Your balance is not enough.',
    RISK_REJECT: 'The wallet declined the payment for security reasons.',
    USER_NOT_EXIST: "The wallet couldn't find your account.",
    CURRENCY_NOT_SUPPORT: "The wallet doesn't accept this currency.",
    ORDER_IS_CLOSED: 'The payment was closed.',
    ORDER_STATUS_INVALID: 'This order can no longer be paid.',
    ORDER_NOT_PAYABLE: 'This order can no longer be paid.',
    ORDER_EXPIRED: 'The order expired before it was paid.',
    PAYMENT_PENDING: 'The wallet is still working on it. Try again in a moment.',
  },
};

export type Strings = typeof en;

export const es: Strings = {
  products: {
    title: 'Tienda',
    loading: 'Cargando productos…',
    total: 'Total',
    checkout: 'Continuar',
    emptyCart: 'Elige al menos un producto.',
    quantity: 'Cantidad',
  },
  confirm: {
    title: 'Confirma tu pedido',
    creating: 'Creando tu pedido…',
    payee: 'Pagar a',
    total: 'Total',
    pay: 'Pagar',
    paying: 'Pagando…',
    line: '{quantity} × {price}',
  },
  result: {
    title: 'Resultado del pago',
    loading: 'Comprobando el pago…',
    paidTitle: 'Pago realizado',
    paidMessage: 'El pedido {orderId} está pagado: {amount}.',
    failedTitle: 'Pago fallido',
    failedMessage: 'El pago no se completó: {reason}',
    failedNoReason: 'El pago no se completó.',
    cancelledTitle: 'Pago cancelado',
    cancelledMessage: 'El pedido {orderId} no se pagó.',
    pendingTitle: 'Pago pendiente',
    pendingMessage: 'El monedero aún no ha confirmado el pago.',
    checkAgain: 'Comprobar de nuevo',
    backToShop: 'Volver a la tienda',
  },
  errors: {
    unreachable: 'No se pudo contactar con el servidor de la tienda. Revisa tu conexión e inténtalo de nuevo.',
    retry: 'Reintentar',
    paymentRefused: 'No se pudo crear el pago: {reason}',
    notPermitted: 'Este mini programa no tiene permiso para cobrar en este monedero.',
    tradePayError: 'No se pudo abrir la caja del monedero: {reason}',
    session: 'No se pudo iniciar tu sesión: {reason}',
    generic: 'Algo salió mal: {reason}',
  },
  reasons: {
    USER_BALANCE_NOT_ENOUGH: 'Tu saldo no es suficiente.',
    RISK_REJECT: 'El monedero rechazó el pago por motivos de seguridad.',
    USER_NOT_EXIST: 'El monedero no encontró tu cuenta.',
    CURRENCY_NOT_SUPPORT: 'El monedero no acepta esta moneda.',
    ORDER_IS_CLOSED: 'El pago se cerró.',
    ORDER_STATUS_INVALID: 'Este pedido ya no se puede pagar.',
    ORDER_NOT_PAYABLE: 'Este pedido ya no se puede pagar.',
    ORDER_EXPIRED: 'El pedido caducó antes de pagarse.',
    PAYMENT_PENDING: 'El monedero aún lo está procesando. Inténtalo de nuevo en un momento.',
  },
};
