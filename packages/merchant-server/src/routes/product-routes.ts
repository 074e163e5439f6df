// GET /api/products → { products: [{ id, name, description, price: { currency, value }, imageUrl }] }. Public.
import type { ProductsResponse } from '@minipay/contract';
import type { FastifyInstance } from 'fastify';
import { toProductJson } from '../catalog';
import type { AppContext } from '../internal/context';

export function registerProductRoutes(app: FastifyInstance, context: AppContext): void {
  // Built once: the catalog is read at start-up and does not change while the server runs.
  const body: ProductsResponse = { products: context.catalog.list().map(toProductJson) };
  app.get('/api/products', async () => body);
}
