namespace Suppression.Suppressions;

public enum MessageClass
{
    Marketing,
    Transactional,
}
