// The merchant's own catalog, from the JSON file `MINIPAY_CATALOG` names, read and checked once at start-up: a shop
// that would sell at a wrong price does not start. Every message names the file, the entry and the field
// (`products[1] ("green-tea").price: "12.345" has 3 decimals, but PHP has only 2`). Prices are written as a person
// writes them, in the catalog's currency (`"1250.00"` PHP, `"15000"` IDR, `"12500"` KRW), and read with the
// contract's one parser, so the currency's exponent comes from the contract's one table.
import { readFileSync } from 'node:fs';
import { ContractError, isIsoCurrency, ORDER_LIMITS, parseAmount } from '@minipay/contract';
import { Catalog, image, type CatalogProduct } from './catalog';
import { MerchantServerError } from './errors';

/** The file's shape. */
export interface CatalogFile {
  /** ISO 4217, e.g. `PHP`; every price is in it. */
  currency: string;
  products: Array<{
    /** 1–64 of `A–Z a–z 0–9 _ -`: what `POST /api/orders` names the product by. */
    id: string;
    /** 1–200 characters. */
    name: string;
    /** At most 1000 characters. Default none. */
    description?: string;
    /** A decimal in the catalog's currency, e.g. `"1250.00"`; more than zero. */
    price: string;
    /** A `data:image/...` URI or an `https://` URL. Default: a plain tile. */
    imageUrl?: string;
  }>;
}

const MAX_PRODUCTS = 500;
const PRODUCT_FIELDS = ['id', 'name', 'description', 'price', 'imageUrl'];
/** The largest unit price whose largest possible order (20 lines of 99) is still an exact integer. */
const MAX_PRICE = Math.floor(Number.MAX_SAFE_INTEGER / (ORDER_LIMITS.maxLines * ORDER_LIMITS.maxQuantity));
const DEFAULT_IMAGE = image('#8c8c8c', '#ffffff', '<rect x="28" y="28" width="40" height="40" rx="6"/>');

/** @throws MerchantServerError `CONFIG_INVALID` naming MINIPAY_CATALOG, the file, and the entry and field at fault. */
export function readCatalogFile(path: string): Catalog {
  const fail = (problem: string, cause?: unknown): never => {
    throw new MerchantServerError(`MINIPAY_CATALOG (${path}): ${problem}`, {
      code: 'CONFIG_INVALID',
      ...(cause === undefined ? {} : { cause }),
    });
  };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`is not valid JSON (${(error as Error).message})`);
  }
  return parseCatalog(json, fail);
}

/** A parsed catalog file checked field by field; `fail` throws with the problem. */
export function parseCatalog(json: unknown, fail: (problem: string) => never): Catalog {
  if (!isObject(json)) return fail('must be a JSON object { "currency": "PHP", "products": [...] }');
  for (const key of Object.keys(json)) {
    if (key !== 'currency' && key !== 'products')
      fail(`unknown field ${JSON.stringify(key)} (expected currency, products)`);
  }
  const currency = json.currency;
  if (typeof currency !== 'string' || !isIsoCurrency(currency)) {
    fail(
      `currency ${JSON.stringify(currency) ?? 'is missing'}${currency === undefined ? '' : ' is not an ISO 4217 currency code (e.g. "PHP")'}`,
    );
  }
  const code = currency as string;
  const entries = json.products;
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_PRODUCTS) {
    return fail(`products must be a list of 1 to ${MAX_PRODUCTS} products`);
  }
  const seen = new Set<string>();
  const products = entries.map((entry: unknown, index): CatalogProduct => {
    const at = (field?: string): string => {
      const id = isObject(entry) && typeof entry.id === 'string' ? ` (${JSON.stringify(entry.id)})` : '';
      return `products[${index}]${id}${field === undefined ? '' : `.${field}`}`;
    };
    if (!isObject(entry)) return fail(`${at()} must be an object { "id", "name", "price" }`);
    for (const key of Object.keys(entry)) {
      if (!PRODUCT_FIELDS.includes(key))
        fail(`${at()}: unknown field ${JSON.stringify(key)} (expected ${PRODUCT_FIELDS.join(', ')})`);
    }
    const { id, name, description, price, imageUrl } = entry;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      fail(`${at('id')} must be 1 to 64 of A-Z, a-z, 0-9, _ and -; got ${JSON.stringify(id) ?? 'nothing'}`);
    }
    if (seen.has(id as string)) fail(`${at('id')} is used by an earlier product too`);
    seen.add(id as string);
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
      fail(`${at('name')} must be a text of 1 to 200 characters`);
    }
    if (description !== undefined && (typeof description !== 'string' || description.length > 1000)) {
      fail(`${at('description')} must be a text of at most 1000 characters`);
    }
    if (typeof price !== 'string') {
      fail(
        `${at('price')} must be a decimal in ${code} as text, e.g. "12.50"; got ${JSON.stringify(price) ?? 'nothing'}`,
      );
    }
    let minor: number;
    try {
      minor = Number(parseAmount(price as string, code).value);
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      return fail(`${at('price')}: ${error.message}`);
    }
    if (minor <= 0) fail(`${at('price')} must be more than zero`);
    if (minor > MAX_PRICE) fail(`${at('price')} is too large (an order of it must stay an exact amount)`);
    if (
      imageUrl !== undefined &&
      (typeof imageUrl !== 'string' || !/^(data:image\/|https:\/\/)/.test(imageUrl) || imageUrl.length > 100_000)
    ) {
      fail(`${at('imageUrl')} must be a data:image/... URI or an https:// URL`);
    }
    return {
      id: id as string,
      name: name as string,
      description: (description as string | undefined) ?? '',
      currency: code,
      price: minor,
      imageUrl: (imageUrl as string | undefined) ?? DEFAULT_IMAGE,
    };
  });
  return new Catalog(code, products);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
