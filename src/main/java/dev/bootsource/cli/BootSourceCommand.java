package dev.bootsource.cli;
public class BootSourceCommand { public static void main(String[] a) {} }
