import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:public';

/** Opts a route out of authentication; everything else requires a valid token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
