import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { ExecutionCommandType } from '../execution-store.interface';

/**
 * A command for the owner of an execution (`ExecutionCommand`) in `trellis_commands`, deleted
 * once handled (so the collection stays small for the owners that poll it); `_id` is a new id.
 */
@Schema({ collection: 'trellis_commands', versionKey: false, minimize: false })
export class TrellisCommand {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  executionId!: string;

  @Prop({ type: String, required: true })
  type!: ExecutionCommandType;

  @Prop({ type: String, required: true })
  by!: string;

  @Prop({ type: Date, required: true })
  at!: Date;

  @Prop({ type: String })
  reason?: string;

  @Prop({ type: String })
  nodeId?: string;

  @Prop({ type: MongooseSchema.Types.Mixed })
  payload?: unknown;

  @Prop({ type: Boolean })
  downstream?: boolean;

  @Prop({ type: Number })
  seq?: number;
}

/** Mongoose schema of `TrellisCommand`. */
export const TrellisCommandSchema = SchemaFactory.createForClass(TrellisCommand);
