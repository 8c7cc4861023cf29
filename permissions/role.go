package permissions

// AdminRole is the role that bypasses every permission.
const AdminRole = "admin"

// SeesAllTables reports whether a role may read every tracked table without
// row filters or column limits.
func SeesAllTables(role string) bool { return role == AdminRole }
