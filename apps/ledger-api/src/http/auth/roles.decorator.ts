import { SetMetadata } from '@nestjs/common';
import type { Role } from './api-keys';

export const ROLES_KEY = 'ledger:roles';
export const PUBLIC_KEY = 'ledger:public';

/** The route needs a key holding at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Anyone may call the route (health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CONFIGURED_ACCESS_KEY = 'ledger:configured-access';

/** Who may call the route is an operator's setting (`LEDGER_METRICS_ACCESS` for /metrics). */
export const ConfiguredAccess = (setting: 'metrics') => SetMetadata(CONFIGURED_ACCESS_KEY, setting);
