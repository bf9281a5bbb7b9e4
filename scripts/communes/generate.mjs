// Génère data/communes.json et data/epci.json (Pas-de-Calais, département 62)
// à partir du paquet npm @etalab/decoupage-administratif (Licence Ouverte 2.0).
// Usage : cd scripts/communes && npm ci && node generate.mjs

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const DEPARTEMENT = '62'
const PACKAGE = '@etalab/decoupage-administratif'

// Millésime des données selon la version du paquet : c'est le tableau
// « Millésimes et versions de package » du README du paquet qui fait foi.
const MILLESIMES = {
  '6.0.0': '2026',
  '5.3.0': '2025',
  '4.1.0': '2024',
  '3.1.1': '2023',
  '2.3.1': '2022',
  '1.1.1': '2021'
}

const here = dirname(fileURLToPath(import.meta.url))
const outDir = join(here, '..', '..', 'data')
const require = createRequire(import.meta.url)

const pkgDir = dirname(require.resolve(`${PACKAGE}/package.json`))
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'))

const { version } = readJson(join(pkgDir, 'package.json'))
const millesime = MILLESIMES[version]
if (!millesime) {
  throw new Error(`Version ${version} de ${PACKAGE} : millésime inconnu, mettre à jour MILLESIMES`)
}
const source = `Découpage administratif, ${PACKAGE} ${version}, Licence Ouverte 2.0`

const allCommunes = readJson(join(pkgDir, 'data', 'communes.json'))
const allEpci = readJson(join(pkgDir, 'data', 'epci.json'))

const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)

// Communes actuelles du département (ni arrondissements municipaux,
// ni communes déléguées ou associées).
const communes62 = allCommunes
  .filter((c) => c.departement === DEPARTEMENT && c.type === 'commune-actuelle')
  .sort(byCode)

const codes62 = new Set(communes62.map((c) => c.code))
if (codes62.size !== communes62.length) {
  throw new Error('Code commune en double dans les données source')
}

// Rattachement commune -> EPCI à fiscalité propre, par la liste des membres.
const epciOfCommune = new Map()
const epci62 = []
for (const e of allEpci) {
  const membres62 = (e.membres || []).filter((m) => codes62.has(m.code))
  if (membres62.length === 0) continue
  for (const m of membres62) {
    const previous = epciOfCommune.get(m.code)
    if (previous && previous !== e.code) {
      throw new Error(`Commune ${m.code} membre de deux EPCI : ${previous} et ${e.code}`)
    }
    epciOfCommune.set(m.code, e.code)
  }
  const entry = { code: e.code, nom: e.nom }
  if (e.type) entry.type = e.type
  epci62.push(entry)
}
epci62.sort(byCode)

const communes = communes62.map((c) => {
  const entry = {
    code: c.code,
    nom: c.nom,
    codes_postaux: [...new Set(c.codesPostaux || [])].sort()
  }
  const epci = epciOfCommune.get(c.code)
  if (epci) entry.epci = epci
  return entry
})

const write = (name, data) => {
  mkdirSync(outDir, { recursive: true })
  writeFileSync(join(outDir, name), JSON.stringify(data, null, 2) + '\n')
}

write('communes.json', { source, millesime, communes })
write('epci.json', { source, millesime, epci: epci62 })

// Contrôles et résumé.
const sansEpci = communes.filter((c) => !c.epci).map((c) => c.code)
const sansCp = communes.filter((c) => c.codes_postaux.length === 0).map((c) => c.code)
const communesParCp = new Map()
for (const c of communes) {
  for (const cp of c.codes_postaux) {
    if (!communesParCp.has(cp)) communesParCp.set(cp, [])
    communesParCp.get(cp).push(c.code)
  }
}
const cpPartages = [...communesParCp].filter(([, list]) => list.length > 1)

console.log(`${PACKAGE} ${version}, millésime ${millesime}`)
console.log(`communes : ${communes.length}`)
console.log(`EPCI : ${epci62.length}`)
console.log(`communes sans EPCI : ${sansEpci.length}${sansEpci.length ? ' (' + sansEpci.join(', ') + ')' : ''}`)
console.log(`communes sans code postal : ${sansCp.length}${sansCp.length ? ' (' + sansCp.join(', ') + ')' : ''}`)
console.log(`codes postaux distincts : ${communesParCp.size}, partagés par plusieurs communes : ${cpPartages.length}`)
