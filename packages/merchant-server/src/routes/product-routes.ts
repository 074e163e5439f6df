// GET /api/products → { products: [{ id, name, description, price: { currency, value }, imageUrl }] }. Public.
import type { FastifyInstance } from 'fastify';
import { listProducts } from '../catalog';
import { toAmount } from '../internal/money';

export function registerProductRoutes(app: FastifyInstance): void {
  // Built once: the catalog is static.
  const body = {
    products: listProducts().map((product) => ({
      id: product.id,
      name: product.name,
      description: product.description,
      price: toAmount(product.currency, product.price),
      imageUrl: product.imageUrl,
    })),
  };
  app.get('/api/products', async () => body);
}
