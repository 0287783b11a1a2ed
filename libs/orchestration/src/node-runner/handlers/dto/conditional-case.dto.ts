import { IsJsonataExpression } from './is-jsonata-expression.decorator';
import { IsNodeIdList } from './is-node-id-list.decorator';

/** One branch of a CONDITIONAL `cases` list: when `when` is truthy, run `next`. */
export class ConditionalCaseDto {
  /** JSONata condition over `{ input, upstream }`, cast as `$boolean()`. Required. */
  @IsJsonataExpression()
  when!: string;

  /** Ids of the direct dependents to run when this case is the first to match. Required (may be empty). */
  @IsNodeIdList()
  next!: string[];
}
