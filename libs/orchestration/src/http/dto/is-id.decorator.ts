import { Matches } from 'class-validator';
import { ID_PATTERN } from '../../ids';

/** class-validator: a graph or execution id as `newId()` makes them, checked before any query. */
export const IsId = (): PropertyDecorator =>
  Matches(ID_PATTERN, { message: '$property must be a 24-character hex id' });
