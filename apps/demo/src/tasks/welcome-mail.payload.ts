import { IsUUID } from 'class-validator';

/** The payload of `mail.welcome`: only the user's id (the handler loads the rest, as it is then). */
export class WelcomeMailPayload {
  @IsUUID()
  userId!: string;
}
