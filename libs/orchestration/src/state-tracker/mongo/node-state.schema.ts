import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { ErrorInfo } from '../execution-store.interface';
import { NodeStatus } from '../status.enum';
import { TrellisTransition, TrellisTransitionSchema } from './transition.schema';

/**
 * The state of one node in one execution (`NodeStateRecord`) in `trellis_node_states`.
 * `_id` is `${executionId}/${nodeId}`, so a change addresses it by primary key.
 */
@Schema({ collection: 'trellis_node_states', versionKey: false, minimize: false })
export class TrellisNodeState {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  executionId!: string;

  @Prop({ type: String, required: true })
  nodeId!: string;

  @Prop({ type: String, required: true, enum: Object.values(NodeStatus) })
  status!: NodeStatus;

  @Prop({ type: Number, required: true })
  attempts!: number;

  @Prop({ type: Number, required: true })
  version!: number;

  @Prop({ type: Date, default: null })
  startedAt!: Date | null;

  @Prop({ type: Date, default: null })
  completedAt!: Date | null;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  output!: unknown;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  error!: ErrorInfo | null;

  @Prop({ type: Date, default: null })
  nextAttemptAt!: Date | null;

  @Prop({ type: Date, default: null })
  deadlineAt!: Date | null;

  @Prop({ type: Number })
  attemptBase?: number;

  @Prop({ type: [String], default: undefined })
  selected?: string[] | null;

  @Prop({ type: [TrellisTransitionSchema], default: [] })
  history!: TrellisTransition[];
}

/** Mongoose schema of `TrellisNodeState`, unique on execution + node. */
export const TrellisNodeStateSchema = SchemaFactory.createForClass(TrellisNodeState);
TrellisNodeStateSchema.index({ executionId: 1, nodeId: 1 }, { unique: true });
