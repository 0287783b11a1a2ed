import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { mongo, Schema as MongooseSchema } from 'mongoose';
import { ExecutionCreation } from '../journal/journal-page.interface';

/**
 * One page of an execution's journal (`JournalPage`) in the day partition
 * `trellis_journal_<yyyymmdd>` of the execution's creation. `_id` is
 * `<executionId>:<page, 10 digits>`: the unique key every exclusion rests on, and the order of
 * an `_id` range read.
 */
@Schema({ versionKey: false, minimize: false })
export class TrellisJournalPage {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  executionId!: string;

  @Prop({ type: Number, required: true })
  page!: number;

  /** The writing process's incarnation. */
  @Prop({ type: String, required: true })
  writer!: string;

  @Prop({ type: Date, required: true })
  at!: Date;

  /** Page 0 only. */
  @Prop({ type: MongooseSchema.Types.Mixed })
  creation?: ExecutionCreation;

  /** The sequence number of the first entry; the others follow one by one. */
  @Prop({ type: Number, required: true })
  firstSeq!: number;

  /** Who made the entries that do not say otherwise. */
  @Prop({ type: String, required: true })
  by!: string;

  /**
   * The entries, as one BSON document `{ e: [stored entries] }` in a binary value (see
   * `journal-entry.codec.ts`): the store never queries inside them.
   */
  @Prop({ type: MongooseSchema.Types.Buffer, required: true })
  entries!: mongo.Binary;
}

/** Mongoose schema of `TrellisJournalPage`. */
export const TrellisJournalPageSchema = SchemaFactory.createForClass(TrellisJournalPage);
