namespace Atelier.Storage.Sql;

/// <summary>
/// One numbered step of the schema. <see cref="Script"/> gets the dialect so that a step can name the
/// few column types that differ; it is run once, in the transaction that records it in
/// <c>schema_migrations</c>. Steps are never edited once released: a change is a new step.
/// </summary>
public sealed record SqlMigration(int Version, string Description, Func<SqlDialect, string> Script);

/// <summary>A row of <c>schema_migrations</c>.</summary>
public sealed record AppliedMigration(int Version, string Description, DateTimeOffset AppliedAt);
