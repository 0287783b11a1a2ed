import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One entry of a stored history array (see `TransitionRecord`); embedded, without its own `_id`. */
@Schema({ _id: false, versionKey: false })
export class TrellisTransition {
  @Prop({ type: String, required: true })
  from!: string;

  @Prop({ type: String, required: true })
  to!: string;

  @Prop({ type: Date, required: true })
  at!: Date;

  @Prop({ type: String, required: true })
  by!: string;

  @Prop({ type: String })
  reason?: string;

  @Prop({ type: Number })
  attempt?: number;

  @Prop({ type: Number })
  seq?: number;
}

/** Mongoose schema of `TrellisTransition`, embedded in the execution and node state schemas. */
export const TrellisTransitionSchema = SchemaFactory.createForClass(TrellisTransition);
