// GET /api/products → { products: [{ id, name, description, price: { currency, value }, imageUrl }] }. Public.
import type { ProductsResponse } from '@minipay/contract';
import type { FastifyInstance } from 'fastify';
import { listProducts, toProductJson } from '../catalog';

export function registerProductRoutes(app: FastifyInstance): void {
  // Built once: the catalog is static.
  const body: ProductsResponse = { products: listProducts().map(toProductJson) };
  app.get('/api/products', async () => body);
}
