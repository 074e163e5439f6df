// The production-shaped flow with the merchant on its default storage, a SQLite file.
import { productionFlowEntry } from '../lib/production-flow.mjs';
import { sqliteStorage } from '../lib/sqlite-storage.mjs';

export default productionFlowEntry({ name: 'orders-sqlite', storage: sqliteStorage });
