import { Module } from '@nestjs/common';
import { ConsoleHostController } from './console-host.controller';

@Module({ controllers: [ConsoleHostController] })
export class ConsoleHostModule {}
