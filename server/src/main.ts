import 'reflect-metadata';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
@Injectable() class S { hi() { return 'hi'; } }
@Controller() class C { constructor(private s: S) {} @Get() get() { return this.s.hi(); } }
@Module({ controllers: [C], providers: [S] }) class M {}
const app = await NestFactory.create(M); await app.listen(3999); console.log('ok'); await app.close();
