// The dashboard's views, in navigation order. A view is one file in views/ plus one line here:
// it exports { id, title, description, icon, usesStore, mount(root, ctx) -> { update, destroy } }
// and is reachable at #/<id>.
import overview from './views/overview.js';
import inventory from './views/inventory.js';
import sales from './views/sales.js';
import pipeline from './views/pipeline.js';
import deliveries from './views/deliveries.js';
import finance from './views/finance.js';
import fraud from './views/fraud.js';

export const ROUTES = [overview, inventory, sales, deliveries, finance, fraud, pipeline];
export const DEFAULT_ROUTE = 'overview';
