namespace Suppression.Suppressions;

public enum SuppressionSource
{
    OneClick,
    Mailto,
    Page,
    Api,
    Import,
    Dsn,
    Arf,
}
