import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_ROUTE } from './http.constants';

/** Marks a route (or controller) that `ApiKeyGuard` lets through without a key, like `/health`. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_ROUTE, true);
