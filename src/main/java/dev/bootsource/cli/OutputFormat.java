package dev.bootsource.cli;

/** How a report is printed: a table for people, or JSON for tools. */
enum OutputFormat { table, json }
